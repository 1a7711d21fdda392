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
  // How often identity files come in it: breaks ties between readings that are equally plausible (a
  // file of ASCII names with one "é" reads the same in a dozen code pages) and names a candidate that
  // several encodings read alike. 0 for encodings hardly any tool writes, 8 for UTF-8.
  int prior;
  // The languages whose users' tools save in it (the locales that have it as their code page), space
  // separated ("pl cs sk"): a reading with letters none of them writes is less plausible (Romanian read
  // in windows-1258, Turkish in windows-1252). Empty for UTF-8 and the CJK encodings: no language
  // table to judge by.
  std::string_view home_languages;

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
