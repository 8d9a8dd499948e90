#pragma once
// How much slower a test may run than in an optimised build, for the time budgets that
// catch super-linear work (they miss by orders of magnitude, so a rough factor is enough).
// Sanitizer builds (the "sanitize" preset: Debug, ASan+UBSan) run several times slower,
// more so when ctest runs tests side by side on a loaded machine.

namespace signpost::test {

#if defined(__SANITIZE_ADDRESS__)  // GCC
inline constexpr double slowdown = 6.0;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)  // clang
inline constexpr double slowdown = 6.0;
#else
inline constexpr double slowdown = 1.0;
#endif
#else
inline constexpr double slowdown = 1.0;
#endif

}  // namespace signpost::test
