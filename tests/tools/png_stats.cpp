// Prints facts about a PNG that a screenshot test can check: size, distinct colours, and
// the share of pixels that differ from the most common (background) colour.
#include <cstdio>
#include <map>

#include <stb_image.h>

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: png_stats FILE.png\n");
        return 2;
    }
    int w = 0, h = 0, n = 0;
    unsigned char* px = stbi_load(argv[1], &w, &h, &n, 4);
    if (!px) {
        std::fprintf(stderr, "png_stats: cannot read %s: %s\n", argv[1], stbi_failure_reason());
        return 1;
    }
    std::map<unsigned, long> counts;
    for (long i = 0; i < long(w) * h; ++i) {
        const unsigned char* p = px + i * 4;
        ++counts[(unsigned(p[0]) << 16) | (unsigned(p[1]) << 8) | p[2]];
    }
    long most = 0;
    for (const auto& [colour, count] : counts)
        if (count > most) most = count;
    std::printf("width %d\nheight %d\ncolours %zu\nforeground %.4f\n", w, h, counts.size(),
                1.0 - double(most) / (double(w) * h));
    stbi_image_free(px);
    return 0;
}
