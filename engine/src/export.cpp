#include "signpost/export.hpp"

namespace signpost {}  // namespace signpost
