#include "signpost/markdown.hpp"

namespace signpost {}  // namespace signpost
