// The two readers behind Workbook::open (xlsx.cpp, ods.cpp) and what they share. Internal to the room.
#pragma once
#include <memory>
#include <string>

#include "workbook/workbook.h"

namespace canopy::workbook {

Result<std::unique_ptr<Workbook>> open_xlsx(ByteSource& source, ZipArchive zip, const WorkbookLimits& limits);
Result<std::unique_ptr<Workbook>> open_ods(ByteSource& source, ZipArchive zip, const WorkbookLimits& limits);

// Streams an entry through an XML handler (the entry inflated piece by piece into expat).
Error parse_entry(const ZipArchive& zip, const ZipEntry& entry, XmlHandler& handler, const XmlLimits& limits);

// Appends the UTF-8 of code point `cp` (U+FFFD for what is no scalar value).
void append_utf8(std::string& out, uint32_t cp);

}  // namespace canopy::workbook
