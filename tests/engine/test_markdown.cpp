#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "signpost/load.hpp"
#include "signpost/markdown.hpp"
#include "signpost/text.hpp"
#include "tree_generator.hpp"

using namespace signpost;

namespace {

// All the text of a block, styles ignored.
std::string block_text(const md_block& b) {
    std::string out;
    for (const auto& s : b.spans) out += s.text;
    return out;
}

}  // namespace

TEST_CASE("markdown: plain text is one paragraph with one unstyled span") {
    auto blocks = parse_markdown("Ask the customer to restart.");
    REQUIRE(blocks.size() == 1);
    CHECK(blocks[0].kind == md_block_kind::paragraph);
    CHECK(blocks[0].depth == 0);
    REQUIRE(blocks[0].spans.size() == 1);
    const md_span& s = blocks[0].spans[0];
    CHECK(s.text == "Ask the customer to restart.");
    CHECK_FALSE(s.bold);
    CHECK_FALSE(s.italic);
    CHECK_FALSE(s.code);
    CHECK(s.link.empty());
}

TEST_CASE("markdown: only the text given is read, even when no NUL byte follows it") {
    // md4c 0.4.8 calls strcspn() on its input, which reads on to a NUL: on a view of a
    // buffer without one it read past the end (fuzz_text, ASan). The bytes of a sample
    // tree reach that call; here they sit in a buffer with nothing after them, so the
    // sanitizer build would catch a read past it.
    std::ifstream in(SIGNPOST_SOURCE_DIR "/trees/identity-verification.xml", std::ios::binary);
    const std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    REQUIRE(bytes.size() > 1000);
    const auto exact = std::make_unique<char[]>(bytes.size());
    std::copy(bytes.begin(), bytes.end(), exact.get());
    const std::string_view text(exact.get(), bytes.size());
    const std::vector<md_block> blocks = parse_markdown(text);
    CHECK_FALSE(blocks.empty());
    CHECK(markdown_to_plain(text).find("identity") != std::string::npos);
}

TEST_CASE("markdown: empty text gives no blocks") {
    CHECK(parse_markdown("").empty());
    CHECK(parse_markdown("   \n\n  ").empty());
}

TEST_CASE("markdown: bold, italic and code become styled spans in order") {
    auto blocks = parse_markdown("Is the **power light** on, *really*, see `LED1`?");
    REQUIRE(blocks.size() == 1);
    const auto& spans = blocks[0].spans;
    REQUIRE(spans.size() == 7);
    CHECK(spans[0].text == "Is the ");
    CHECK_FALSE(spans[0].bold);
    CHECK(spans[1].text == "power light");
    CHECK(spans[1].bold);
    CHECK_FALSE(spans[1].italic);
    CHECK(spans[2].text == " on, ");
    CHECK(spans[3].text == "really");
    CHECK(spans[3].italic);
    CHECK_FALSE(spans[3].bold);
    CHECK(spans[4].text == ", see ");
    CHECK(spans[5].text == "LED1");
    CHECK(spans[5].code);
    CHECK(spans[6].text == "?");
}

TEST_CASE("markdown: nested emphasis sets both flags") {
    auto blocks = parse_markdown("***both*** and **bold _and italic_**");
    REQUIRE(blocks.size() == 1);
    const auto& spans = blocks[0].spans;
    REQUIRE(spans.size() == 4);
    CHECK(spans[0].text == "both");
    CHECK((spans[0].bold && spans[0].italic));
    CHECK(spans[1].text == " and ");
    CHECK(spans[2].text == "bold ");
    CHECK((spans[2].bold && !spans[2].italic));
    CHECK(spans[3].text == "and italic");
    CHECK((spans[3].bold && spans[3].italic));
}

TEST_CASE("markdown: links carry their target on every span of the label") {
    auto blocks = parse_markdown("See [the **status** page](https://status.example.net/x?a=1&amp;b=2) now");
    REQUIRE(blocks.size() == 1);
    const auto& spans = blocks[0].spans;
    REQUIRE(spans.size() == 5);
    CHECK(spans[0].text == "See ");
    CHECK(spans[0].link.empty());
    CHECK(spans[1].text == "the ");
    CHECK(spans[1].link == "https://status.example.net/x?a=1&b=2");
    CHECK(spans[2].text == "status");
    CHECK(spans[2].bold);
    CHECK(spans[2].link == "https://status.example.net/x?a=1&b=2");
    CHECK(spans[3].text == " page");
    CHECK(spans[3].link == spans[1].link);
    CHECK(spans[4].text == " now");
    CHECK(spans[4].link.empty());
}

TEST_CASE("markdown: autolinks link to themselves") {
    auto blocks = parse_markdown("Go to <https://example.net>.");
    REQUIRE(blocks.size() == 1);
    REQUIRE(blocks[0].spans.size() == 3);
    CHECK(blocks[0].spans[1].text == "https://example.net");
    CHECK(blocks[0].spans[1].link == "https://example.net");
}

TEST_CASE("markdown: paragraphs, headings and lists become separate blocks") {
    auto blocks = parse_markdown(
        "## Before you start\n"
        "\n"
        "Ask the customer to:\n"
        "1. check the **adapter**;\n"
        "2. try another socket.\n"
        "\n"
        "Then:\n"
        "- unplug\n"
        "  - wait 30 s\n"
        "- plug in\n");
    REQUIRE(blocks.size() == 8);
    CHECK(blocks[0].kind == md_block_kind::heading);
    CHECK(blocks[0].number == 2);
    CHECK(block_text(blocks[0]) == "Before you start");

    CHECK(blocks[1].kind == md_block_kind::paragraph);
    CHECK(block_text(blocks[1]) == "Ask the customer to:");

    CHECK(blocks[2].kind == md_block_kind::numbered_item);
    CHECK(blocks[2].number == 1);
    CHECK(blocks[2].depth == 0);
    CHECK(block_text(blocks[2]) == "check the adapter;");
    REQUIRE(blocks[2].spans.size() == 3);
    CHECK(blocks[2].spans[1].bold);
    CHECK(blocks[3].kind == md_block_kind::numbered_item);
    CHECK(blocks[3].number == 2);

    CHECK(blocks[4].kind == md_block_kind::paragraph);
    CHECK(block_text(blocks[4]) == "Then:");

    CHECK(blocks[5].kind == md_block_kind::bullet_item);
    CHECK(blocks[5].depth == 0);
    CHECK(block_text(blocks[5]) == "unplug");
    CHECK(blocks[6].kind == md_block_kind::bullet_item);
    CHECK(blocks[6].depth == 1);
    CHECK(block_text(blocks[6]) == "wait 30 s");
    CHECK(blocks[7].kind == md_block_kind::bullet_item);
    CHECK(blocks[7].depth == 0);
    CHECK(block_text(blocks[7]) == "plug in");
}

TEST_CASE("markdown: ordered lists keep their start number, loose items keep their text") {
    auto blocks = parse_markdown("3. third\n\n4. fourth\n");
    REQUIRE(blocks.size() == 2);
    CHECK(blocks[0].kind == md_block_kind::numbered_item);
    CHECK(blocks[0].number == 3);
    CHECK(block_text(blocks[0]) == "third");
    CHECK(blocks[1].number == 4);
    CHECK(block_text(blocks[1]) == "fourth");
}

TEST_CASE("markdown: soft line breaks join lines, hard breaks keep them") {
    auto blocks = parse_markdown("first line\nsecond line  \nthird line");
    REQUIRE(blocks.size() == 1);
    CHECK(block_text(blocks[0]) == "first line second line\nthird line");
}

TEST_CASE("markdown: raw HTML is shown as text, never interpreted") {
    auto blocks = parse_markdown("<b>not bold</b> <script>x()</script>");
    REQUIRE(blocks.size() == 1);
    CHECK(block_text(blocks[0]) == "<b>not bold</b> <script>x()</script>");
    for (const auto& s : blocks[0].spans) CHECK_FALSE(s.bold);

    auto html_block = parse_markdown("<div>\nhello\n</div>");
    REQUIRE_FALSE(html_block.empty());
    std::string all;
    for (const auto& b : html_block) all += block_text(b);
    CHECK(all.find("<div>") != std::string::npos);
}

TEST_CASE("markdown: entities and escapes are decoded") {
    auto blocks = parse_markdown("Fish &amp; chips &#233; \\*not italic\\*");
    REQUIRE(blocks.size() == 1);
    CHECK(block_text(blocks[0]) == "Fish & chips \xC3\xA9 *not italic*");
    for (const auto& s : blocks[0].spans) CHECK_FALSE(s.italic);
}

TEST_CASE("markdown: indented text stays a paragraph, fenced code is code") {
    auto indented = parse_markdown("    indented by the author");
    REQUIRE(indented.size() == 1);
    CHECK(indented[0].kind == md_block_kind::paragraph);
    CHECK(block_text(indented[0]) == "indented by the author");
    CHECK_FALSE(indented[0].spans[0].code);

    auto fenced = parse_markdown("```\nping 8.8.8.8\nipconfig\n```");
    REQUIRE(fenced.size() == 1);
    REQUIRE(fenced[0].spans.size() == 1);
    CHECK(fenced[0].spans[0].code);
    CHECK(fenced[0].spans[0].text == "ping 8.8.8.8\nipconfig");
}

TEST_CASE("markdown: markdown_to_plain removes markers and keeps structure") {
    CHECK(markdown_to_plain("Is the **power light** *on*?") == "Is the power light on?");
    CHECK(markdown_to_plain("Run `ping`") == "Run ping");
    CHECK(markdown_to_plain("See [status page](https://status.example.net)") ==
          "See status page (https://status.example.net)");
    CHECK(markdown_to_plain("See <https://status.example.net>") == "See https://status.example.net");
    CHECK(markdown_to_plain("Mail <help@example.net>") == "Mail help@example.net");
    CHECK(markdown_to_plain("Steps:\n1. unplug\n2. wait\n   - 30 s\n\nDone.") ==
          "Steps:\n\n1. unplug\n2. wait\n  - 30 s\n\nDone.");
    CHECK(markdown_to_plain("# Title\n\nBody") == "Title\n\nBody");
    CHECK(markdown_to_plain("") == "");
    CHECK(markdown_to_plain("Account {account}") == "Account {account}");
}

TEST_CASE("markdown: a line break in the source is a space, except between Chinese or Japanese characters") {
    const auto joined = [](std::string_view source) {
        const auto blocks = parse_markdown(source);
        REQUIRE(blocks.size() == 1);
        return block_text(blocks[0]);
    };
    CHECK(joined("Ask the caller\nto restart.") == "Ask the caller to restart.");
    // "…スクリプトです。 自宅や…" had a stray space where the source line broke.
    CHECK(joined("\xE3\x82\xB9\xE3\x82\xAF\xE3\x83\xAA\xE3\x83\x97\xE3\x83\x88\xE3\x81\xA7\xE3\x81\x99\xE3\x80\x82\n"
                 "\xE8\x87\xAA\xE5\xAE\x85\xE3\x82\x84") ==
          "\xE3\x82\xB9\xE3\x82\xAF\xE3\x83\xAA\xE3\x83\x97\xE3\x83\x88\xE3\x81\xA7\xE3\x81\x99\xE3\x80\x82"
          "\xE8\x87\xAA\xE5\xAE\x85\xE3\x82\x84");
    // Korean puts spaces between words: kept. Between Japanese and Latin text too.
    CHECK(joined("\xEC\x95\x88\xEB\x85\x95\n\xEC\x84\xB8\xEA\xB3\x84") == "\xEC\x95\x88\xEB\x85\x95 \xEC\x84\xB8\xEA\xB3\x84");
    CHECK(joined("\xE3\x80\x82\nVPN") == "\xE3\x80\x82 VPN");
    // Across a style change as well: the break is decided by the characters on each side.
    CHECK(joined("\xE6\x97\xA5\xE6\x9C\xAC\n**\xE8\xAA\x9E**") == "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E");
}

namespace {

// Blocks as a string, every property of every span in it: two texts that read the same
// give the same string.
std::string rendered(std::string_view markdown) {
    std::string out;
    for (const md_block& b : parse_markdown(markdown)) {
        out += "[" + std::to_string(static_cast<int>(b.kind)) + "/" + std::to_string(b.number) + "/" +
               std::to_string(b.depth) + "]";
        for (const md_span& s : b.spans)
            out += std::string("{") + (s.bold ? "b" : "") + (s.italic ? "i" : "") + (s.code ? "c" : "") + "|" +
                   s.link + "|" + s.text + "}";
        out += "\n";
    }
    return out;
}

// Every Markdown text of a tree: description, texts, hints, choice labels.
std::vector<std::string> texts_of(const tree& t) {
    std::vector<std::string> out{t.description};
    for (const node& n : t.nodes) {
        out.push_back(n.text);
        out.push_back(n.hint);
        for (const choice& c : n.choices) out.push_back(c.label);
    }
    return out;
}

}  // namespace

TEST_CASE("markdown: unwrapped paragraph lines read the same, and lose the file's line breaks") {
    // Joined: a paragraph's lines, a list item's continuation line.
    CHECK(unwrap_paragraph_lines("For a team lead who\n  receives a request.\n\nNext paragraph\nhere.") ==
          "For a team lead who receives a request.\n\nNext paragraph here.");
    CHECK(unwrap_paragraph_lines("a **bold\nword** here") == "a **bold word** here");
    CHECK(unwrap_paragraph_lines("- call them back on the\n  directory number;\n- a video call") ==
          "- call them back on the directory number;\n- a video call");
    // Kept: before list items, headings, rules and setext underlines, after a heading,
    // after a hard break, inside a fence, beside markers, between Japanese characters.
    for (const char* kept : {"Steps:\n- one\n- two", "Steps:\n1. one\n2) two", "# Title\ntext", "text\n## Title",
                             "Title\n=====", "Title\n---", "line\\\nnext", "```\ncode\nmore\n```",
                             "a **bold**\n*word*", "see [the link]\n(https://example.com)", "です。\n自宅", "text\n> quote",
                             "a\n| b", "+\nb", "2.\nb", "- +\nb", "a\n\t-\t\th", "- x\n -\rhext", "-x\n- #\nx"}) {
        CAPTURE(kept);
        CHECK(unwrap_paragraph_lines(kept) == kept);
    }
    // Every text of the sample trees, and of a generated tree, reads the same unwrapped.
    std::vector<std::string> texts;
    std::size_t files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(SIGNPOST_SOURCE_DIR "/trees")) {
        if (entry.path().extension() != ".xml") continue;
        const load_result r = load_tree_file(entry.path().string());
        REQUIRE(r.loaded);
        for (std::string& t : texts_of(*r.loaded)) texts.push_back(std::move(t));
        ++files;
    }
    CHECK(files >= 8);
    const load_result generated = load_tree_string(bench::generate_trees({400, 3, false, true}).root.xml);
    REQUIRE(generated.loaded);
    for (std::string& t : texts_of(*generated.loaded)) texts.push_back(std::move(t));
    for (const std::string& text : texts) {
        CAPTURE(text);
        const std::string u = unwrap_paragraph_lines(text);
        CHECK(rendered(u) == rendered(text));
        CHECK(unwrap_paragraph_lines(u) == u);
    }
    // Random texts built from lines that sit at the edges of the rules.
    const std::vector<std::string> pieces{"plain words", "  indented words", "- item", "* item", "+ item", "1. one",
                                          "12) twelve", "2024 was a year", "# heading", "## h2", "===", "---", "***",
                                          "> quote", "```", "~~~", "**bold", "bold**", "_it", "it_", "`code", "code`",
                                          "[link", "](https://example.com)", "line\\", "trailing  ", "", "です。",
                                          "自宅で", "한국어", "&amp; more", "<b>", "x | y", "    four spaces", "!", "\ttab"};
    std::uint64_t seed = 7;
    const auto next = [&seed] {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        return static_cast<std::size_t>(seed >> 33);
    };
    for (int round = 0; round < 3000; ++round) {
        std::string text;
        const std::size_t lines = 2 + next() % 6;
        for (std::size_t i = 0; i < lines; ++i) text += (i ? "\n" : "") + pieces[next() % pieces.size()];
        CAPTURE(text);
        const std::string u = unwrap_paragraph_lines(text);
        CHECK(rendered(u) == rendered(text));
    }
    // A description wrapped by hand in the file becomes one line.
    const load_result handoff = load_tree_file(SIGNPOST_SOURCE_DIR "/trees/department-handoff.xml");
    REQUIRE(handoff.loaded);
    REQUIRE(handoff.loaded->description.find('\n') != std::string::npos);
    CHECK(unwrap_paragraph_lines(handoff.loaded->description).find('\n') == std::string::npos);
}
