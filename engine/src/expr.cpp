#include "signpost/expr.hpp"

namespace signpost {}  // namespace signpost
