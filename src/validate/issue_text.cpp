#include "validate/issue_text.h"

#include "core/messages.h"
#include "mapping/schema.h"

namespace canopy {

std::string field_label(std::string_view field, bool in_sentence) {
  const FieldSpec* f = find_field(field);
  std::string s(f ? f->label : field);
  // Lower-case the first letter unless the second is a capital too (an acronym: "OAuth").
  if (in_sentence && s.size() >= 2 && s[0] >= 'A' && s[0] <= 'Z' && !(s[1] >= 'A' && s[1] <= 'Z')) {
    s[0] = static_cast<char>(s[0] - 'A' + 'a');
  }
  return s;
}

std::string issue_message(const Issue& is) { return format_packed(is.code, is.args, &field_label); }

}  // namespace canopy
