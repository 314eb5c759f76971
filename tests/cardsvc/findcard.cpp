// A compiled client of ISCardLocate written the way an XP-era C++ program
// was (the SDK's scardssp.h and sspguid.h, here mingw-w64's; plain
// mingw-w64 g++): "insert your card" with the default FindCard
// (SC_DLG_MINIMAL_UI), then the first Transaction on the card it got
// (SELECT MF through ISCard::AttachByHandle).  tests/cardsvc/selectdlg.c
// starts it with no card in the reader and plays the user: it finds the
// dialog by the title given here, takes a screenshot and inserts the card.
//   findcard.exe "CARD NAME" "DIALOG TITLE"
// Prints each step; the exit code is 0 when FindCard connected and the
// reply is the card's FCI of the MF, else the step that failed.

#include <stdio.h>
#include <string.h>
#include <windows.h>
#include <ole2.h>
#include <winscard.h>
#include <scardssp.h>
#include <sspguid.h>

static void check(HRESULT hr, const char *what, int code)
{
    if (SUCCEEDED(hr)) return;
    printf("findcard: %s failed: 0x%08lx\n", what, (unsigned long)hr);
    fflush(stdout);
    ExitProcess(code);
}

int main(int argc, char **argv)
{
    static const BYTE select_mf[] = {0x00, 0xA4, 0x00, 0x00, 0x02, 0x3F, 0x00, 0x00};
    static const BYTE expected[] = {0x6F, 0x07, 0x82, 0x01, 0x38, 0x83, 0x02, 0x3F, 0x00, 0x90, 0x00};
    WCHAR name[128], title[256];
    ISCardLocate *locate;
    ISCard *card;
    ISCardCmd *cmd;
    IByteBuffer *apdu, *reply;
    SCARDINFO *info = NULL;
    SAFEARRAY *names;
    BYTE bytes[64];
    LONG index = 0, length = 0, got = 0, i;
    BSTR bstr;

    if (argc < 3)
    {
        printf("usage: findcard.exe \"CARD NAME\" \"DIALOG TITLE\"\n");
        return 2;
    }
    MultiByteToWideChar(CP_ACP, 0, argv[1], -1, name, 128);
    MultiByteToWideChar(CP_ACP, 0, argv[2], -1, title, 256);
    check(CoInitialize(NULL), "CoInitialize", 3);
    check(CoCreateInstance(CLSID_CSCardLocate, NULL, CLSCTX_INPROC_SERVER, IID_ISCardLocate, (void **)&locate),
            "CoCreateInstance(CSCardLocate)", 4);

    names = SafeArrayCreateVector(VT_BSTR, 0, 1);
    bstr = SysAllocString(name);
    SafeArrayPutElement(names, &index, bstr);
    SysFreeString(bstr);
    bstr = SysAllocString(title);
    check(locate->ConfigureCardNameSearch(names, NULL, bstr), "ConfigureCardNameSearch", 5);
    SysFreeString(bstr);
    SafeArrayDestroy(names);

    printf("findcard: FindCard: insert the card\n");
    fflush(stdout);
    check(locate->FindCard(SHARED, (SCARD_PROTOCOLS)(T0 | T1), SC_DLG_MINIMAL_UI, &info), "FindCard", 6);
    printf("findcard: connected, protocol %d\n", (int)info->ActiveProtocol);

    check(CoCreateInstance(CLSID_CSCard, NULL, CLSCTX_INPROC_SERVER, IID_ISCard, (void **)&card),
            "CoCreateInstance(CSCard)", 7);
    check(card->AttachByHandle(info->hCard), "AttachByHandle", 8);
    check(CoCreateInstance(CLSID_CByteBuffer, NULL, CLSCTX_INPROC_SERVER, IID_IByteBuffer, (void **)&apdu),
            "CoCreateInstance(CByteBuffer)", 9);
    check(apdu->Initialize(sizeof(select_mf), (BYTE *)select_mf), "IByteBuffer::Initialize", 10);
    check(CoCreateInstance(CLSID_CSCardCmd, NULL, CLSCTX_INPROC_SERVER, IID_ISCardCmd, (void **)&cmd),
            "CoCreateInstance(CSCardCmd)", 11);
    check(cmd->put_Apdu(apdu), "put_Apdu", 12);
    check(card->Transaction(&cmd), "Transaction", 13);
    check(cmd->get_ApduReplyLength(&length), "get_ApduReplyLength", 14);
    check(cmd->get_ApduReply(&reply), "get_ApduReply", 15);
    check(reply->Read(bytes, sizeof(bytes), &got), "IByteBuffer::Read", 16);
    printf("findcard: SELECT MF reply (%ld):", length);
    for (i = 0; i < got; i++) printf(" %02X", bytes[i]);
    printf("\n");

    reply->Release();
    cmd->Release();
    apdu->Release();
    card->Detach(LEAVE);
    card->Release();
    SCardReleaseContext(info->hContext);
    CoTaskMemFree(info);
    locate->Release();
    CoUninitialize();
    if (got != (LONG)sizeof(expected) || memcmp(bytes, expected, sizeof(expected)))
    {
        printf("findcard: unexpected reply\n");
        return 17;
    }
    printf("findcard: done\n");
    return 0;
}
