#include "signpost/value.hpp"

namespace signpost {}  // namespace signpost
