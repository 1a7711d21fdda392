// The multi-byte decoders' tables (jis0208, jis0212, gb18030, big5, euc-kr): not built into the wasm
// module but installed from the files tools/gen-encoding-tables.mjs makes (enc-jis.bin, ...), which the
// JS wrapper fetches only when a file needs them (the core says which: the `tables_needed` error). The
// native build embeds the same files and installs them on first use. gb18030's ranges are built in.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace canopy {

template <class T>
struct TableView {
  const T* data = nullptr;
  size_t size = 0;
  explicit operator bool() const { return data != nullptr; }
  // The code point at `pointer`, 0 when there is none.
  uint32_t at(size_t pointer) const { return pointer < size ? data[pointer] : 0; }
};

struct EncodingTables {
  TableView<uint16_t> jis0208, jis0212, gb18030, euc_kr;
  TableView<uint32_t> big5;
};

// The tables installed so far (null views for the others).
const EncodingTables& encoding_tables();

// Installs a table file by its name ("enc-jis.bin") from its bytes (copied). False when the name is
// not one of ours or the bytes are not such a file.
bool install_table_file(std::string_view file, std::string_view bytes);

// Whether the tables of `file` ("enc-jis.bin") are installed. An empty name is (built in).
bool table_file_installed(std::string_view file);

// The table files this build embeds (native: all; wasm: none), each as {name, bytes}.
struct EmbeddedTableFile {
  std::string_view name;
  std::string_view bytes;
};
size_t embedded_table_files(const EmbeddedTableFile** files);

}  // namespace canopy
