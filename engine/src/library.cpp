#include "signpost/library.hpp"

namespace signpost {}  // namespace signpost
