#include "signpost/text.hpp"

namespace signpost {}  // namespace signpost
