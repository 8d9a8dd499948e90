#include "signpost/diagnostic.hpp"

namespace signpost {}  // namespace signpost
