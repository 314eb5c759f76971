/*
 * Resource identifiers of scardssp.dll (scardssp.rc, selectdlg.c)
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* the card-selection dialog */
#define IDD_SELECTCARD   100
#define IDC_READERS      101
#define IDC_STATUS       102
#define IDC_PROMPT       103

/* its strings */
#define IDS_EMPTY        200
#define IDS_OTHER_CARD   201
#define IDS_IN_USE       202
#define IDS_MUTE         203
#define IDS_UNAVAILABLE  204
#define IDS_CONNECT_FAILED 205
#define IDS_NO_READERS   206
