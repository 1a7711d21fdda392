// The workbook's XML parts read with expat, as a stream fed piece by piece from the ZIP reader, with the
// limits of a hostile file: any DOCTYPE is refused (so no entity is ever declared: no billion laughs, no
// external entity), elements nest at most max_depth deep, and one text run is at most max_text bytes.
// Names reach the handler without their namespace prefix ("c", "table-cell"); the parts a reader reads
// use each local name in one meaning only.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

#include "core/error.h"

namespace canopy::workbook {

struct XmlLimits {
  size_t max_depth = 256;
  size_t max_text = 1 << 20;  // bytes of text inside one element before its end (a cell is at most 32,767 characters)
};

// Attributes as expat gives them: name, value, name, value, ..., null (names without their prefix).
class XmlAttrs {
 public:
  explicit XmlAttrs(const char** a) : a_(a) {}
  // The value of the attribute whose local name is `name`, or null.
  const char* get(std::string_view name) const;

 private:
  const char** a_;
};

class XmlHandler {
 public:
  virtual ~XmlHandler() = default;
  virtual void start(std::string_view name, const XmlAttrs& attrs) = 0;
  virtual void end(std::string_view name) = 0;
  virtual void text(std::string_view text) = 0;
  // A handler that found what it needed, or a problem, stops the parse: set stop_ (an empty code stops quietly).
  bool stopped() const { return stopped_; }
  void stop(Error e = {}) {
    stopped_ = true;
    error_ = std::move(e);
  }
  const Error& error() const { return error_; }

 private:
  bool stopped_ = false;
  Error error_;
};

class XmlParser {
 public:
  XmlParser(XmlHandler& handler, std::string part, const XmlLimits& limits = {});
  ~XmlParser();
  XmlParser(const XmlParser&) = delete;
  XmlParser& operator=(const XmlParser&) = delete;

  // Feeds the next piece; `last` ends the document. A handler's stop() ends the parse: later feeds do nothing.
  Error feed(const char* data, size_t size, bool last);
  bool done() const { return done_; }

 private:
  static void on_start(void* self, const char* name, const char** attrs);
  static void on_end(void* self, const char* name);
  static void on_text(void* self, const char* s, int len);
  static void on_doctype(void* self, const char*, const char*, const char*, int);
  static void on_entity(void* self, const char*, int, const char*, int, const char*, const char*, const char*,
                        const char*);
  // Stops with workbook_damaged around `code` (a workbook_xml_* detail: this part's name, then `figure`).
  void fail(std::string_view code, std::string_view figure = {});

  void* parser_;
  XmlHandler& handler_;
  std::string part_;
  XmlLimits limits_;
  size_t depth_ = 0, text_ = 0;
  bool done_ = false;
  Error error_;
};

// The local part of a name ("x:row" or "row": "row").
std::string_view local_name(const char* name);

}  // namespace canopy::workbook
