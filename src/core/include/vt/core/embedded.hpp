#pragma once
/// Files compiled into the binary (see vt_embed() in cmake/VentanillaModule.cmake).
#include <span>
#include <string_view>

namespace vt::core {

struct EmbeddedFile {
    std::string_view path;  ///< Relative to the folder of the CMakeLists that embedded it.
    std::string_view data;
};

}  // namespace vt::core
