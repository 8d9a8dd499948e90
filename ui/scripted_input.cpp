#include "scripted_input.hpp"

#include <algorithm>
#include <cctype>
#include <map>

#include "keys.hpp"

namespace signpost::ui {

namespace {

const std::map<std::string, int>& named_keys() {
    static const std::map<std::string, int> keys = {
        {"enter", key::enter},       {"return", key::enter},   {"backspace", key::backspace},
        {"escape", key::escape},     {"esc", key::escape},     {"tab", key::tab},
        {"space", key::space},       {"delete", key::del},     {"up", key::up},
        {"down", key::down},         {"left", key::left},      {"right", key::right},
        {"home", key::home},         {"end", key::end},        {"pageup", key::page_up},
        {"pagedown", key::page_down},
    };
    return keys;
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

}  // namespace

bool parse_scripted_inputs(const std::string& spec, std::vector<scripted_input>& out, std::string& error) {
    std::size_t start = 0;
    while (start < spec.size()) {
        // Up to the next comma not written "\,", which stands for a comma in the step.
        std::string token;
        for (; start < spec.size() && spec[start] != ','; ++start) {
            if (spec[start] == '\\' && start + 1 < spec.size() && spec[start + 1] == ',') ++start;
            token += spec[start];
        }
        ++start;
        if (token.empty()) continue;
        scripted_input in;
        if (token.rfind("text:", 0) == 0) {
            in.text = token.substr(5);
            out.push_back(in);
            continue;
        }
        std::string rest = token;
        for (;;) {
            const std::string l = lower(rest);
            if (l.rfind("ctrl+", 0) == 0) {
                in.ctrl = true;
                rest = rest.substr(5);
            } else if (l.rfind("shift+", 0) == 0) {
                in.shift = true;
                rest = rest.substr(6);
            } else if (l.rfind("alt+", 0) == 0) {
                in.alt = true;
                rest = rest.substr(4);
            } else {
                break;
            }
        }
        const std::string l = lower(rest);
        if (auto it = named_keys().find(l); it != named_keys().end()) {
            in.key = it->second;
        } else if (rest.size() == 1 && std::isdigit(static_cast<unsigned char>(rest[0]))) {
            in.key = key::digit_0 + (rest[0] - '0');
        } else if (rest.size() == 1 && std::isalpha(static_cast<unsigned char>(rest[0]))) {
            in.key = letter(rest[0]);
        } else {
            error = "unknown key '" + token + "' (use 1-9, a letter, Enter, Backspace, Escape, Tab, Left, Right, "
                    "Up, Down, Home, End, PageUp, PageDown, Space, Delete, with Ctrl+, Shift+ or Alt+ before it, "
                    "or text:WORDS)";
            return false;
        }
        out.push_back(in);
    }
    return true;
}

}  // namespace signpost::ui
