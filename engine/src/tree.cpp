#include "signpost/tree.hpp"

namespace signpost {}  // namespace signpost
