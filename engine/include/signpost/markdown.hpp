#pragma once
// Light Markdown (paragraphs, bold, italic, code, lists, links) parsed into blocks of
// styled spans that a front-end can draw. Parsing is done by md4c.

#include <string>
#include <string_view>
#include <vector>

namespace signpost {

struct md_span {
    std::string text;
    bool bold = false;
    bool italic = false;
    bool code = false;
    std::string link;  // target URL when the span is part of a link
    friend bool operator==(const md_span&, const md_span&) = default;
};

enum class md_block_kind { paragraph, bullet_item, numbered_item, heading };

struct md_block {
    md_block_kind kind = md_block_kind::paragraph;
    int number = 0;  // numbered_item: its number; heading: its level
    int depth = 0;   // list nesting, 0 for top level
    std::vector<md_span> spans;
    friend bool operator==(const md_block&, const md_block&) = default;
};

// Never fails: text md4c cannot make sense of comes back as plain paragraphs.
std::vector<md_block> parse_markdown(std::string_view text);

// The text with each paragraph's source line breaks (which Markdown reads as spaces) made
// spaces, so a text box that wraps at its own width shows it as it reads, not broken where
// the file's author wrapped it. It parses to the same blocks: a break stays where it
// means something or might (before a list item, heading, quote, fence or rule, after a
// heading or a '\' hard break, inside a fenced block, beside a marker character or
// between Chinese or Japanese characters, which join without a space). A text with a
// carriage return, vertical tab or form feed, or one whose joined form would parse
// otherwise (checked), comes back as it is.
std::string unwrap_paragraph_lines(std::string_view markdown);

}  // namespace signpost
