#include "workbook/xml.h"

#include <expat.h>

#include <cstring>

#include "core/messages.h"

namespace canopy::workbook {
namespace {
// expat's hash salt: the core draws no random numbers, and the limits bound what a crafted file can cost.
constexpr unsigned long kSalt = 0x5bd1e995UL;
}  // namespace

std::string_view local_name(const char* name) {
  // Without namespace processing (a part's prefixes are its writer's choice): the part after the prefix.
  const char* sep = std::strchr(name, ':');
  return sep ? std::string_view(sep + 1) : std::string_view(name);
}

const char* XmlAttrs::get(std::string_view name) const {
  for (const char** a = a_; a && a[0]; a += 2) {
    if (local_name(a[0]) == name) return a[1];
  }
  return nullptr;
}

XmlParser::XmlParser(XmlHandler& handler, std::string part, const XmlLimits& limits)
    : parser_(XML_ParserCreate(nullptr)), handler_(handler), part_(std::move(part)), limits_(limits) {
  auto* p = static_cast<XML_Parser>(parser_);
  if (!p) return;
  XML_SetHashSalt(p, kSalt);
  XML_SetUserData(p, this);
  XML_SetElementHandler(p, &XmlParser::on_start, &XmlParser::on_end);
  XML_SetCharacterDataHandler(p, &XmlParser::on_text);
  XML_SetStartDoctypeDeclHandler(p, &XmlParser::on_doctype);
  XML_SetEntityDeclHandler(p, &XmlParser::on_entity);
}

XmlParser::~XmlParser() {
  if (parser_) XML_ParserFree(static_cast<XML_Parser>(parser_));
}

void XmlParser::fail(std::string_view code, std::string_view figure) {
  if (!error_) {
    error_ = figure.empty() ? make_error("workbook_damaged", {code, part_})
                            : make_error("workbook_damaged", {code, part_, figure});
  }
  XML_StopParser(static_cast<XML_Parser>(parser_), XML_FALSE);
}

void XmlParser::on_start(void* self, const char* name, const char** attrs) {
  auto* x = static_cast<XmlParser*>(self);
  if (++x->depth_ > x->limits_.max_depth) {
    return x->fail("workbook_xml_too_deep", std::to_string(x->limits_.max_depth));
  }
  x->text_ = 0;
  x->handler_.start(local_name(name), XmlAttrs(attrs));
  if (x->handler_.stopped()) XML_StopParser(static_cast<XML_Parser>(x->parser_), XML_FALSE);
}

void XmlParser::on_end(void* self, const char* name) {
  auto* x = static_cast<XmlParser*>(self);
  --x->depth_;
  x->text_ = 0;
  x->handler_.end(local_name(name));
  if (x->handler_.stopped()) XML_StopParser(static_cast<XML_Parser>(x->parser_), XML_FALSE);
}

void XmlParser::on_text(void* self, const char* s, int len) {
  auto* x = static_cast<XmlParser*>(self);
  x->text_ += static_cast<size_t>(len);
  if (x->text_ > x->limits_.max_text) {
    return x->fail("workbook_xml_text_too_long", std::to_string(x->limits_.max_text));
  }
  x->handler_.text(std::string_view(s, static_cast<size_t>(len)));
  if (x->handler_.stopped()) XML_StopParser(static_cast<XML_Parser>(x->parser_), XML_FALSE);
}

void XmlParser::on_doctype(void* self, const char*, const char*, const char*, int) {
  static_cast<XmlParser*>(self)->fail("workbook_xml_doctype");
}

void XmlParser::on_entity(void* self, const char*, int, const char*, int, const char*, const char*, const char*,
                          const char*) {
  static_cast<XmlParser*>(self)->fail("workbook_xml_entity");
}

Error XmlParser::feed(const char* data, size_t size, bool last) {
  if (done_) return error_;
  auto* p = static_cast<XML_Parser>(parser_);
  if (!p) return make_error("out_of_memory", {"memory_xml_parser"});
  // expat takes an int length: feed big pieces in slices.
  constexpr size_t kSlice = 1 << 30;
  do {
    const size_t n = size < kSlice ? size : kSlice;
    const bool final_piece = last && n == size;
    const XML_Status st = XML_Parse(p, data, static_cast<int>(n), final_piece ? XML_TRUE : XML_FALSE);
    data += n;
    size -= n;
    if (st != XML_STATUS_OK) {
      done_ = true;
      if (error_) return error_;
      if (handler_.stopped()) return handler_.error();
      error_ = make_error("workbook_damaged", {"workbook_xml_error", part_, XML_ErrorString(XML_GetErrorCode(p)),
                                               std::to_string(XML_GetCurrentLineNumber(p))});
      return error_;
    }
  } while (size);
  if (last) done_ = true;
  return {};
}

}  // namespace canopy::workbook
