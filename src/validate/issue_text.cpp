#include "validate/issue_text.h"

#include "core/messages.h"
#include "mapping/schema.h"

namespace canopy {

std::string issue_message(const Issue& is) { return format_packed(is.code, is.args, &schema_label); }

}  // namespace canopy
