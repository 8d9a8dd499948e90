#include "text_glyphs.hpp"

#include "fonts.hpp"
#include "signpost/session.hpp"
#include "signpost/tree.hpp"

namespace signpost::ui {

void want_glyphs_for(const tree& t) {
    want_glyphs(t.title);
    want_glyphs(t.description);
    for (const variable& v : t.variables) {
        want_glyphs(v.label);
        for (const std::string& o : v.options) want_glyphs(o);
        if (v.default_text) want_glyphs(*v.default_text);
    }
    for (const node& n : t.nodes) {
        for (const std::string* s : {&n.title, &n.text, &n.hint, &n.team, &n.outcome}) want_glyphs(*s);
        for (const choice& c : n.choices) {
            want_glyphs(c.label);
            want_glyphs(c.set_source);
            if (c.condition) want_glyphs(c.condition->source());
        }
        for (const branch& b : n.branches) want_glyphs(b.condition.source());
        for (const field& f : n.fields) {
            want_glyphs(f.label);
            want_glyphs(f.placeholder);
            want_glyphs(f.pattern);
        }
    }
}

void want_glyphs_for(const view& v) {
    for (const std::string* s : {&v.title, &v.text, &v.hint, &v.stuck}) want_glyphs(*s);
    for (const view_choice& c : v.choices) want_glyphs(c.label);
    for (const view_field& f : v.fields) {
        want_glyphs(f.label);
        want_glyphs(f.placeholder);
        want_glyphs(f.value);
        for (const std::string& o : f.options) want_glyphs(o);
    }
}

}  // namespace signpost::ui
