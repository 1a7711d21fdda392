#include "detect/icu_data.h"

#include <unicode/udata.h>
#include <unicode/utypes.h>

#include <string>

#include "core/messages.h"

namespace canopy {

Error install_icu_data(const void* data, size_t size) {
  static bool installed = false;
  if (installed) return {};
  if (!data || size < 32) return make_error("bad_argument", {"icu_data_empty"});
  UErrorCode status = U_ZERO_ERROR;
  udata_setCommonData(data, &status);
  if (U_FAILURE(status)) {
    return make_error("bad_argument", {"icu_data_refused", u_errorName(status)});
  }
  installed = true;
  return {};
}

}  // namespace canopy
