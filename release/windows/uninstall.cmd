@echo off
rem Unregisters and removes what install.cmd put in System32 (and
rem SysWOW64).  Run it from an administrator command prompt.
setlocal

net session >nul 2>&1
if not errorlevel 1 goto admin
fltmc >nul 2>&1
if not errorlevel 1 goto admin
echo uninstall: administrator rights are needed: right-click the command prompt, "Run as administrator"
exit /b 1
:admin

rem A 32-bit cmd on 64-bit Windows sees SysWOW64 as System32: the script
rem runs again in the 64-bit cmd, reached through Sysnative.
if not defined PROCESSOR_ARCHITEW6432 goto native
"%SystemRoot%\Sysnative\cmd.exe" /c "%~f0"
exit /b %errorlevel%
:native
set "arch=%PROCESSOR_ARCHITECTURE%"

set status=0
if /i not "%arch%"=="AMD64" goto x86
call :take "%SystemRoot%\System32"
if errorlevel 1 set status=1
call :take "%SystemRoot%\SysWOW64"
if errorlevel 1 set status=1
goto done
:x86
call :take "%SystemRoot%\System32"
if errorlevel 1 set status=1
:done
if %status%==0 echo uninstall: scardssp removed
exit /b %status%

rem :take SYSTEMDIR: unregisters SYSTEMDIR\scardssp.dll and deletes it
:take
if not exist "%~1\scardssp.dll" exit /b 0
"%~1\regsvr32.exe" /s /u "%~1\scardssp.dll"
if errorlevel 1 (
    echo uninstall: regsvr32 /u "%~1\scardssp.dll" failed: the file is left in place
    exit /b 1
)
del /f "%~1\scardssp.dll"
if exist "%~1\scardssp.dll" (
    echo uninstall: cannot delete %~1\scardssp.dll ^(in use by a running program?^)
    exit /b 1
)
echo uninstall: %~1\scardssp.dll removed
exit /b 0
