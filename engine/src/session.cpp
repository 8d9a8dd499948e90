#include "signpost/session.hpp"

namespace signpost {}  // namespace signpost
#include "signpost/clock.hpp"
