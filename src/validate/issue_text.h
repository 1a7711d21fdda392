// English text of an issue, made late: only the CLI, the exports and the tests ask for it. The page
// formats the same code + arguments in the user's language (web/wizard/i18n/).
#pragma once
#include <string>
#include <string_view>

#include "core/issue.h"

namespace canopy {

// The catalogue text of `is`, in English.
std::string issue_message(const Issue& is);

}  // namespace canopy
