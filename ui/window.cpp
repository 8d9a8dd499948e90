#include "window.hpp"
#include "notices.hpp"

#include <algorithm>
#include <cstdio>
#include <vector>

#include <GLFW/glfw3.h>
#include <imgui.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <stb_image_write.h>

#include "stop_signal.hpp"

namespace signpost::ui {

namespace {

void glfw_error(int code, const char* description) {
    // Reported once at start-up through run_window's own message; keep GLFW's detail on stderr.
    std::fprintf(stderr, "glfw: %s (%d)\n", description, code);
}

}  // namespace

std::string write_framebuffer_png(const std::string& path, int width, int height) {
    std::vector<unsigned char> pixels(static_cast<std::size_t>(width) * height * 4);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, pixels.data());
    // OpenGL's rows run bottom-up; PNG's top-down.
    const int stride = width * 4;
    std::vector<unsigned char> flipped(pixels.size());
    for (int y = 0; y < height; ++y)
        std::copy_n(&pixels[static_cast<std::size_t>(height - 1 - y) * stride], stride,
                    &flipped[static_cast<std::size_t>(y) * stride]);
    if (!stbi_write_png(path.c_str(), width, height, 4, flipped.data(), stride))
        return "cannot write screenshot '" + path + "'";
    return {};
}

int run_window(const window_options& options, const std::function<void(frame_context&)>& frame,
               const std::function<bool()>& should_close, const std::string& no_display_hint) {
    glfwSetErrorCallback(glfw_error);
    if (!glfwInit()) {
        std::fprintf(stderr, "error: cannot open a window (no display available); %s\n", no_display_hint.c_str());
        return 2;
    }
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    if (!options.screenshot.empty()) glfwWindowHint(GLFW_VISIBLE, GLFW_FALSE);
    GLFWwindow* window = glfwCreateWindow(options.width, options.height, options.title.c_str(), nullptr, nullptr);
    if (!window) {
        std::fprintf(stderr, "error: cannot create an OpenGL 3.3 window; %s\n", no_display_hint.c_str());
        glfwTerminate();
        return 2;
    }
    glfwMakeContextCurrent(window);
    glfwSwapInterval(1);

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // layout is fixed by the app; no imgui.ini litter in the cwd
    ImGui::StyleColorsDark();

    // Scale for high-DPI monitors (content scale 2.0 on a 4K laptop panel).
    float xscale = 1.0f, yscale = 1.0f;
    glfwGetWindowContentScale(window, &xscale, &yscale);
    const float scale = std::clamp(std::max(xscale, yscale), 1.0f, 4.0f);
    std::string font_error;
    const font_set fonts = load_fonts(options.font_size * scale, &font_error);
    notice_list notices;
    if (!font_error.empty()) {
        std::fprintf(stderr, "warning: %s; using a fallback font\n", font_error.c_str());
        notices.add(font_error + "; using a fallback font (Debian package fonts-dejavu-core)");
    }
    ImGui::GetStyle().ScaleAllSizes(scale);

    ImGui_ImplGlfw_InitForOpenGL(window, true);
    ImGui_ImplOpenGL3_Init("#version 330");
    GLint max_texture_size = 0;
    glGetIntegerv(GL_MAX_TEXTURE_SIZE, &max_texture_size);
    set_max_texture_size(max_texture_size);

    bool quit = false;
    frame_context ctx{fonts, quit, options.title};
    std::string shown_title = options.title;
    const bool scripted = !options.screenshot.empty();
    std::size_t step = 0;
    int phase = 0;  // per scripted step: 0 press, 1 release, 2-3 settle
    int settle_frames = 0;
    int warmup = 3;
    int exit_code = 0;

    while (!quit) {
        if (const int signal = stop_signal()) {
            if (options.on_stop) options.on_stop(signal);
            exit_code = 128 + signal;
            break;
        }
        if (scripted) {
            glfwPollEvents();
        } else if (glyphs_wanted()) {
            glfwPollEvents();  // text drawn last frame waits for its glyphs: no idle wait
        } else {
            glfwWaitEventsTimeout(0.25);  // idle redraws stay cheap; file-change checks still run
            if (glfwWindowShouldClose(window)) {
                if (!should_close || should_close()) break;
                glfwSetWindowShouldClose(window, GLFW_FALSE);
            }
        }
        // A few frames first, so focus set by the first frame is in place before input.
        if (scripted && warmup > 0) {
            --warmup;
        } else if (scripted && step < options.after.size()) {
            const scripted_input& in = options.after[step];
            if (phase == 0) {
                io.KeyCtrl = in.ctrl;
                io.KeyShift = in.shift;
                io.KeyAlt = in.alt;
                if (in.key >= 0) io.KeysDown[in.key] = true;
                else io.AddInputCharactersUTF8(in.text.c_str());
            } else if (phase == 1) {
                if (in.key >= 0) io.KeysDown[in.key] = false;
                io.KeyCtrl = io.KeyShift = io.KeyAlt = false;
            }
            if (++phase == 4) {
                phase = 0;
                ++step;
            }
        }
        const bool uploaded = io.Fonts->TexID != nullptr;  // else the first NewFrame uploads it
        std::string font_warning;
        if (add_wanted_glyphs(&font_warning) && uploaded) {
            ImGui_ImplOpenGL3_DestroyFontsTexture();
            ImGui_ImplOpenGL3_CreateFontsTexture();
        }
        if (!font_warning.empty()) {
            std::fprintf(stderr, "warning: %s\n", font_warning.c_str());
            notices.add(font_warning);
        }
        ImGui_ImplOpenGL3_NewFrame();
        ImGui_ImplGlfw_NewFrame();
        ImGui::NewFrame();
        frame(ctx);
        notices.draw();
        if (!ctx.title.empty() && ctx.title != shown_title) {
            shown_title = ctx.title;
            glfwSetWindowTitle(window, shown_title.c_str());
        }
        ImGui::Render();
        int w = 0, h = 0;
        glfwGetFramebufferSize(window, &w, &h);
        glViewport(0, 0, w, h);
        glClearColor(0.08f, 0.09f, 0.11f, 1.0f);
        glClear(GL_COLOR_BUFFER_BIT);
        ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
        if (scripted && step >= options.after.size() && ++settle_frames >= 4) {
            const std::string error = write_framebuffer_png(options.screenshot, w, h);
            if (!error.empty()) {
                std::fprintf(stderr, "error: %s\n", error.c_str());
                exit_code = 1;
            }
            break;
        }
        glfwSwapBuffers(window);
    }

    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    glfwDestroyWindow(window);
    glfwTerminate();
    return exit_code;
}

}  // namespace signpost::ui
