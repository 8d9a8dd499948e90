#include "signpost/validate.hpp"

namespace signpost {}  // namespace signpost
