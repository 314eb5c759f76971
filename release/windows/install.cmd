@echo off
rem Installs scardssp.dll on Windows and registers it: x64\ into System32
rem and x86\ into SysWOW64 on 64-bit Windows (x86\ into System32 on 32-bit
rem Windows), each with the regsvr32 of its architecture.  Run it from an
rem administrator command prompt.  uninstall.cmd takes it out again.
setlocal
set "here=%~dp0"

rem net session needs the Server service; fltmc is the second opinion
net session >nul 2>&1 || fltmc >nul 2>&1 || (
    echo install: administrator rights are needed: right-click the command prompt, "Run as administrator"
    exit /b 1
)

rem A 32-bit cmd on 64-bit Windows sees SysWOW64 as System32: Sysnative is
rem the 64-bit System32 then.
set "arch=%PROCESSOR_ARCHITECTURE%"
set "sys64=%SystemRoot%\System32"
if defined PROCESSOR_ARCHITEW6432 (
    set "arch=%PROCESSOR_ARCHITEW6432%"
    set "sys64=%SystemRoot%\Sysnative"
)

if /i "%arch%"=="AMD64" (
    call :put x64 "%sys64%" || exit /b 1
    call :put x86 "%SystemRoot%\SysWOW64" || exit /b 1
) else if /i "%arch%"=="x86" (
    call :put x86 "%SystemRoot%\System32" || exit /b 1
) else (
    echo install: %arch% Windows is not supported: this package holds x64 and x86 DLLs
    exit /b 1
)
echo install: scardssp installed
exit /b 0

rem :put FOLDER SYSTEMDIR: copies FOLDER\scardssp.dll into SYSTEMDIR and registers it there
:put
copy /y "%here%%~1\scardssp.dll" "%~2\scardssp.dll" >nul || (
    echo install: cannot copy %~1\scardssp.dll to %~2 ^(in use by a running program?^)
    exit /b 1
)
"%~2\regsvr32.exe" /s "%~2\scardssp.dll" || (
    echo install: regsvr32 "%~2\scardssp.dll" failed
    exit /b 1
)
echo install: %~2\scardssp.dll registered
exit /b 0
