#include "signpost/load.hpp"

namespace signpost {}  // namespace signpost
