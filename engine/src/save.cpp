#include "signpost/save.hpp"

namespace signpost {}  // namespace signpost
