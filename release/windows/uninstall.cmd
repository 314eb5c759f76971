@echo off
rem Unregisters and removes what install.cmd put in System32 (and
rem SysWOW64).  Run it from an administrator command prompt.
setlocal

net session >nul 2>&1 || fltmc >nul 2>&1 || (
    echo uninstall: administrator rights are needed: right-click the command prompt, "Run as administrator"
    exit /b 1
)

set "arch=%PROCESSOR_ARCHITECTURE%"
set "sys64=%SystemRoot%\System32"
if defined PROCESSOR_ARCHITEW6432 (
    set "arch=%PROCESSOR_ARCHITEW6432%"
    set "sys64=%SystemRoot%\Sysnative"
)

set status=0
if /i "%arch%"=="AMD64" (
    call :take "%sys64%" || set status=1
    call :take "%SystemRoot%\SysWOW64" || set status=1
) else (
    call :take "%SystemRoot%\System32" || set status=1
)
if %status%==0 echo uninstall: scardssp removed
exit /b %status%

rem :take SYSTEMDIR: unregisters SYSTEMDIR\scardssp.dll and deletes it
:take
if not exist "%~1\scardssp.dll" exit /b 0
"%~1\regsvr32.exe" /s /u "%~1\scardssp.dll" || (
    echo uninstall: regsvr32 /u "%~1\scardssp.dll" failed: the file is left in place
    exit /b 1
)
del /f "%~1\scardssp.dll" || exit /b 1
echo uninstall: %~1\scardssp.dll removed
exit /b 0
