// What kind of container a file is, from its signature: shared by the session (which reads text and
// names any workbook it is handed) and the workbook reader (src/workbook/), which opens them.
#pragma once
#include <cstring>
#include <string_view>

namespace canopy {

enum class Container { text, zip, ole2 };

inline Container sniff_container(std::string_view bytes) {
  static const unsigned char kOle2[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
  if (bytes.size() >= 8 && std::memcmp(bytes.data(), kOle2, 8) == 0) return Container::ole2;
  // A local file header (PK 03 04) starts every ZIP with entries; an empty archive starts with its end record.
  if (bytes.size() >= 4 && bytes[0] == 'P' && bytes[1] == 'K' &&
      ((bytes[2] == 3 && bytes[3] == 4) || (bytes[2] == 5 && bytes[3] == 6)))
    return Container::zip;
  return Container::text;
}

// An OLE2 compound file holding the stream "EncryptedPackage" (its name in UTF-16LE, in the directory)
// is a password-encrypted .xlsx; any other is a legacy .xls (or another Office 97-2003 file).
inline bool ole2_encrypted(std::string_view bytes) {
  static const char kName[] = "E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0a\0g\0e\0";
  return bytes.find(std::string_view(kName, sizeof kName - 1)) != std::string_view::npos;
}

}  // namespace canopy
