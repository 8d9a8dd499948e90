#pragma once
// Key codes as GLFW numbers them. ImGui 1.86 indexes io.KeysDown[] with the backend's
// codes, so the views, the GLFW window and the headless tests all use these.

namespace signpost::ui {

namespace key {
inline constexpr int space = 32;
inline constexpr int digit_0 = 48;  // '0'..'9' are 48..57
inline constexpr int a = 65;        // 'A'..'Z' are 65..90
inline constexpr int escape = 256;
inline constexpr int enter = 257;
inline constexpr int tab = 258;
inline constexpr int backspace = 259;
inline constexpr int insert = 260;
inline constexpr int del = 261;
inline constexpr int right = 262;
inline constexpr int left = 263;
inline constexpr int down = 264;
inline constexpr int up = 265;
inline constexpr int page_up = 266;
inline constexpr int page_down = 267;
inline constexpr int home = 268;
inline constexpr int end = 269;
inline constexpr int keypad_0 = 320;  // keypad '0'..'9' are 320..329
inline constexpr int keypad_enter = 335;
inline constexpr int left_shift = 340;
inline constexpr int left_control = 341;
}  // namespace key

// Letter key code for 'a'..'z' / 'A'..'Z'.
constexpr int letter(char c) { return (c >= 'a' && c <= 'z') ? c - 'a' + key::a : c - 'A' + key::a; }

// Fills io.KeyMap the way the GLFW backend does, for contexts that have no backend.
void map_keys_like_glfw();

}  // namespace signpost::ui
