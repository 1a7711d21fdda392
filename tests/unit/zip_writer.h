// A small ZIP writer for the workbook tests: well-formed archives of chosen entries, and the hostile
// ones a writer never makes (sizes that lie, names that climb out, encrypted flags, CRCs that fail).
#pragma once
#include <zlib.h>

#include <cstdint>
#include <string>
#include <vector>

namespace canopy::test {

struct ZipItem {
  std::string name;
  std::string data;
  bool deflate = true;
  // Lies the central directory tells (0 = the truth).
  uint64_t declared_size = 0;
  bool encrypted = false;
  bool bad_crc = false;
};

inline void put16(std::string& o, uint32_t v) {
  o += static_cast<char>(v & 0xFF);
  o += static_cast<char>((v >> 8) & 0xFF);
}
inline void put32(std::string& o, uint32_t v) {
  put16(o, v & 0xFFFF);
  put16(o, v >> 16);
}

inline std::string raw_deflate(const std::string& in) {
  z_stream z{};
  deflateInit2(&z, 9, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, static_cast<uLong>(in.size())) + 16, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

inline std::string make_zip(const std::vector<ZipItem>& items) {
  std::string out, cd;
  for (const ZipItem& it : items) {
    const std::string body = it.deflate ? raw_deflate(it.data) : it.data;
    uint32_t crc = static_cast<uint32_t>(
        crc32(0, reinterpret_cast<const Bytef*>(it.data.data()), static_cast<uInt>(it.data.size())));
    if (it.bad_crc) crc ^= 1;
    const uint32_t size = static_cast<uint32_t>(it.declared_size ? it.declared_size : it.data.size());
    const uint16_t flags = it.encrypted ? 1 : 0;
    const uint16_t method = it.deflate ? 8 : 0;
    const uint32_t offset = static_cast<uint32_t>(out.size());
    put32(out, 0x04034b50);
    put16(out, 20);
    put16(out, flags);
    put16(out, method);
    put32(out, 0);
    put32(out, crc);
    put32(out, static_cast<uint32_t>(body.size()));
    put32(out, size);
    put16(out, static_cast<uint32_t>(it.name.size()));
    put16(out, 0);
    out += it.name;
    out += body;
    put32(cd, 0x02014b50);
    put16(cd, 20);
    put16(cd, 20);
    put16(cd, flags);
    put16(cd, method);
    put32(cd, 0);
    put32(cd, crc);
    put32(cd, static_cast<uint32_t>(body.size()));
    put32(cd, size);
    put16(cd, static_cast<uint32_t>(it.name.size()));
    put16(cd, 0);
    put16(cd, 0);
    put16(cd, 0);
    put16(cd, 0);
    put32(cd, 0);
    put32(cd, offset);
    cd += it.name;
  }
  const uint32_t cd_offset = static_cast<uint32_t>(out.size());
  out += cd;
  put32(out, 0x06054b50);
  put16(out, 0);
  put16(out, 0);
  put16(out, static_cast<uint32_t>(items.size()));
  put16(out, static_cast<uint32_t>(items.size()));
  put32(out, static_cast<uint32_t>(cd.size()));
  put32(out, cd_offset);
  put16(out, 0);
  return out;
}

// A minimal .xlsx: one sheet (its sheetData inner XML given), optional shared strings and styles.
inline std::string make_xlsx(const std::string& sheet_data, const std::string& shared = "",
                             const std::string& num_fmts = "", const std::string& xfs = "<xf numFmtId=\"0\"/>",
                             const std::string& sheet_xml_override = "") {
  const std::string ct =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types "
      "xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Override PartName=\"/xl/workbook.xml\" "
      "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/></Types>";
  const std::string wb =
      "<?xml version=\"1.0\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
      "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets><sheet name=\"People\" "
      "sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
  const std::string rels =
      "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
      "<Relationship Id=\"rId1\" "
      "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
      "Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" "
      "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" "
      "Target=\"sharedStrings.xml\"/><Relationship Id=\"rId3\" "
      "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"
      "</Relationships>";
  const std::string sheet =
      sheet_xml_override.empty()
          ? "<?xml version=\"1.0\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
            "<sheetData>" +
                sheet_data + "</sheetData></worksheet>"
          : sheet_xml_override;
  const std::string sst =
      "<?xml version=\"1.0\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">" + shared +
      "</sst>";
  const std::string styles =
      "<?xml version=\"1.0\"?><styleSheet "
      "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><numFmts>" +
      num_fmts + "</numFmts><cellXfs>" + xfs + "</cellXfs></styleSheet>";
  return make_zip({{"[Content_Types].xml", ct},
                   {"xl/workbook.xml", wb},
                   {"xl/_rels/workbook.xml.rels", rels},
                   {"xl/worksheets/sheet1.xml", sheet},
                   {"xl/sharedStrings.xml", sst},
                   {"xl/styles.xml", styles}});
}

}  // namespace canopy::test
