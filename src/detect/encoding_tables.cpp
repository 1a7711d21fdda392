#include "detect/encoding_tables.h"

#include <cstring>
#include <mutex>
#include <string>
#include <vector>

namespace canopy {
namespace {

#if CANOPY_EMBED_ENCODING_TABLES
// The generated files (tools/gen-encoding-tables.mjs), built into the native binary.
constexpr unsigned char kJis[] = {
#include "enc-jis.inc"
};
constexpr unsigned char kGb[] = {
#include "enc-gb.inc"
};
constexpr unsigned char kBig5[] = {
#include "enc-big5.inc"
};
constexpr unsigned char kKr[] = {
#include "enc-kr.inc"
};
std::string_view bytes_of(const unsigned char* p, size_t n) { return {reinterpret_cast<const char*>(p), n}; }
const EmbeddedTableFile kEmbedded[] = {
    {"enc-jis.bin", bytes_of(kJis, sizeof kJis)},
    {"enc-gb.bin", bytes_of(kGb, sizeof kGb)},
    {"enc-big5.bin", bytes_of(kBig5, sizeof kBig5)},
    {"enc-kr.bin", bytes_of(kKr, sizeof kKr)},
};
constexpr size_t kEmbeddedCount = 4;
#else
const EmbeddedTableFile* const kEmbedded = nullptr;
constexpr size_t kEmbeddedCount = 0;
#endif

// Which tables each file carries, in its order.
struct FileSpec {
  std::string_view file;
  std::string_view tables[2];
};
constexpr FileSpec kFiles[] = {
    {"enc-jis.bin", {"jis0208", "jis0212"}},
    {"enc-gb.bin", {"gb18030", {}}},
    {"enc-big5.bin", {"big5", {}}},
    {"enc-kr.bin", {"euc-kr", {}}},
};

struct Store {
  std::vector<uint16_t> jis0208, jis0212, gb18030, euc_kr;
  std::vector<uint32_t> big5;
  EncodingTables views;
  bool installed[4] = {};
};

Store& store() {
  static Store s;
  return s;
}

uint32_t read_u32(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);  // the files are little endian, as are x86 and wasm
  return v;
}

template <class T>
bool take(std::string_view& rest, size_t elem, size_t count, std::vector<T>& into, TableView<T>& view) {
  if (elem != sizeof(T) || count > rest.size() / elem) return false;
  into.resize(count);
  std::memcpy(into.data(), rest.data(), count * elem);
  rest.remove_prefix(count * elem);
  view = {into.data(), into.size()};
  return true;
}

int file_index(std::string_view file) {
  for (size_t i = 0; i < 4; ++i)
    if (kFiles[i].file == file) return static_cast<int>(i);
  return -1;
}

bool install(std::string_view file, std::string_view bytes) {
  const int fi = file_index(file);
  if (fi < 0) return false;
  Store& s = store();
  if (bytes.size() < 12 || bytes.substr(0, 8) != "CNPYENC1") return false;
  const uint32_t count = read_u32(bytes.data() + 8);
  std::string_view rest = bytes.substr(12);
  for (uint32_t t = 0; t < count; ++t) {
    if (rest.size() < 20) return false;
    std::string_view name(rest.data(), 12);
    name = name.substr(0, name.find('\0'));
    const uint32_t elem = read_u32(rest.data() + 12);
    const uint32_t n = read_u32(rest.data() + 16);
    rest.remove_prefix(20);
    if (name != kFiles[fi].tables[0] && name != kFiles[fi].tables[1]) return false;
    bool ok = false;
    if (name == "jis0208") ok = take(rest, elem, n, s.jis0208, s.views.jis0208);
    else if (name == "jis0212") ok = take(rest, elem, n, s.jis0212, s.views.jis0212);
    else if (name == "gb18030") ok = take(rest, elem, n, s.gb18030, s.views.gb18030);
    else if (name == "euc-kr") ok = take(rest, elem, n, s.euc_kr, s.views.euc_kr);
    else if (name == "big5") ok = take(rest, elem, n, s.big5, s.views.big5);
    if (!ok) return false;
  }
  s.installed[fi] = true;
  return true;
}

// The native build installs its embedded files before the first question about tables.
void install_embedded_once() {
  if constexpr (kEmbeddedCount > 0) {
    static std::once_flag once;
    std::call_once(once, [] {
      for (size_t i = 0; i < kEmbeddedCount; ++i) install(kEmbedded[i].name, kEmbedded[i].bytes);
    });
  }
}

}  // namespace

const EncodingTables& encoding_tables() {
  install_embedded_once();
  return store().views;
}

bool install_table_file(std::string_view file, std::string_view bytes) {
  install_embedded_once();
  return install(file, bytes);
}

bool table_file_installed(std::string_view file) {
  if (file.empty()) return true;
  install_embedded_once();
  const int fi = file_index(file);
  return fi >= 0 && store().installed[fi];
}

size_t embedded_table_files(const EmbeddedTableFile** files) {
  *files = kEmbedded;
  return kEmbeddedCount;
}

}  // namespace canopy
