// ICU data. Natively the system's libicu data is used; in wasm the trimmed archive (icudt72l.dat,
// built by tools/build-icu-wasm.sh) is handed in by the caller and registered before any ICU call.
#pragma once
#include <cstddef>
#include <string>

#include "core/error.h"

namespace canopy {

// Registers `size` bytes at `data` as ICU's common data. The memory must stay alive for the program's
// lifetime. Call once, before anything else; later calls are ignored.
Error install_icu_data(const void* data, size_t size);

}  // namespace canopy
