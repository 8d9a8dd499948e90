# signpost-bench-editor: the editor's UI frame time on generated trees (headless ImGui).
# Included by bench/CMakeLists.txt; owned by the editor UI work.
if(SIGNPOST_HAVE_GUI)
  add_executable(signpost-bench-editor ${CMAKE_CURRENT_SOURCE_DIR}/editor_frame.cpp)
  target_link_libraries(signpost-bench-editor PRIVATE
    signpost_editor_ui signpost::tree_generator signpost_warnings)
endif()
