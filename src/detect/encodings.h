// The one table of the encodings the importer reads: the WHATWG Encoding Standard's (its names, every
// label, its decoders), in the order the encoding menu shows them. Detection, the decoders, the
// wizard's menu, the headless API and the CLI's --encoding all read this table.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace canopy {

enum class EncodingId : uint8_t {
  utf8,
  utf16le,
  utf16be,
  windows_1252,
  windows_1250,
  windows_1251,
  windows_1253,
  windows_1254,
  windows_1255,
  windows_1256,
  windows_1257,
  windows_1258,
  windows_874,
  iso_8859_2,
  iso_8859_3,
  iso_8859_4,
  iso_8859_5,
  iso_8859_6,
  iso_8859_7,
  iso_8859_8,
  iso_8859_8_i,
  iso_8859_10,
  iso_8859_13,
  iso_8859_14,
  iso_8859_15,
  iso_8859_16,
  koi8_r,
  koi8_u,
  macintosh,
  x_mac_cyrillic,
  ibm866,
  shift_jis,
  euc_jp,
  iso_2022_jp,
  gbk,
  gb18030,
  big5,
  euc_kr,
};

// Which of the standard's decoders reads an encoding.
enum class DecoderKind : uint8_t {
  utf8,
  utf16le,
  utf16be,
  single_byte,
  shift_jis,
  euc_jp,
  iso_2022_jp,
  gb18030,
  big5,
  euc_kr
};

struct EncodingInfo {
  EncodingId id;
  std::string_view name;    // the standard's name, shown to users: "windows-1252", "Shift_JIS"
  std::string_view labels;  // the standard's labels, space separated, lower case ("latin1 iso-8859-1 ...")
  std::string_view extra;   // names users type that are no WHATWG label ("ansi macroman cp932"), space separated
  DecoderKind decoder;
  const uint16_t* table;        // single-byte: the code points of bytes 0x80..0xFF (0 = none); else null
  std::string_view table_file;  // the lazily loaded table file it needs ("enc-jis.bin"); empty = built in

  bool single_byte() const { return decoder == DecoderKind::single_byte; }
  // Each label of `labels` then `extra`.
  std::vector<std::string_view> all_labels() const;
};

// Every encoding, in display order.
const std::vector<EncodingInfo>& all_encodings();

const EncodingInfo& encoding_info(EncodingId id);

// The encoding of a name or label as the standard matches labels (ASCII case-insensitive, leading and
// trailing whitespace removed), then of a name or label written without '-', '_', '.' or spaces
// ("Shift JIS", "windows1252", "utf16le"), then of an extra alias. Null when none matches.
const EncodingInfo* find_encoding(std::string_view label);

}  // namespace canopy
