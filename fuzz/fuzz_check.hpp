#pragma once
// What a fuzz target does when a property fails: print why and abort, so libFuzzer keeps
// the input as a crash reproducer.

#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace signpost::fuzz {

[[noreturn]] inline void fail(std::string_view what, std::string_view detail) {
    std::fprintf(stderr, "\n*** property failed: %.*s\n%.*s\n", static_cast<int>(what.size()), what.data(),
                 static_cast<int>(detail.size() > 4000 ? 4000 : detail.size()), detail.data());
    std::abort();
}

inline void require(bool ok, std::string_view what, std::string_view detail = {}) {
    if (!ok) fail(what, detail);
}

}  // namespace signpost::fuzz
