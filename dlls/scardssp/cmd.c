#include "scardssp_private.h"
/* placeholder: replaced by the real object */
HRESULT cmd_create(REFIID riid, void **obj) { *obj = NULL; return E_NOTIMPL; }
