#include "signpost/session_log.hpp"

namespace signpost {}  // namespace signpost
