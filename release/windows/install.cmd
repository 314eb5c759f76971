@echo off
rem Installs scardssp.dll on Windows and registers it: x64\ into System32
rem and x86\ into SysWOW64 on 64-bit Windows (x86\ into System32 on 32-bit
rem Windows), each with the regsvr32 of its architecture.  Run it from an
rem administrator command prompt (64- or 32-bit).  uninstall.cmd takes it out again.
rem (Plain "if errorlevel" tests: Wine's cmd mishandles || after a program.)
setlocal
set "here=%~dp0"

rem net session needs the Server service; fltmc is the second opinion
net session >nul 2>&1
if not errorlevel 1 goto admin
fltmc >nul 2>&1
if not errorlevel 1 goto admin
echo install: administrator rights are needed: right-click the command prompt, "Run as administrator"
exit /b 1
:admin

rem A 32-bit cmd on 64-bit Windows sees SysWOW64 as System32: the script
rem runs again in the 64-bit cmd, reached through Sysnative.
if not defined PROCESSOR_ARCHITEW6432 goto native
"%SystemRoot%\Sysnative\cmd.exe" /c "%~f0"
exit /b %errorlevel%
:native
set "arch=%PROCESSOR_ARCHITECTURE%"

if /i "%arch%"=="AMD64" goto amd64
if /i "%arch%"=="x86" goto x86
echo install: %arch% Windows is not supported: this package holds x64 and x86 DLLs
exit /b 1

:amd64
call :put x64 "%SystemRoot%\System32"
if errorlevel 1 exit /b 1
call :put x86 "%SystemRoot%\SysWOW64"
if errorlevel 1 exit /b 1
goto done
:x86
call :put x86 "%SystemRoot%\System32"
if errorlevel 1 exit /b 1
:done
echo install: scardssp installed
exit /b 0

rem :put FOLDER SYSTEMDIR: copies FOLDER\scardssp.dll into SYSTEMDIR and registers it there
:put
copy /y "%here%%~1\scardssp.dll" "%~2\scardssp.dll" >nul
if errorlevel 1 (
    echo install: cannot copy %~1\scardssp.dll to %~2 ^(in use by a running program?^)
    exit /b 1
)
"%~2\regsvr32.exe" /s "%~2\scardssp.dll"
if errorlevel 1 (
    echo install: regsvr32 "%~2\scardssp.dll" failed
    exit /b 1
)
echo install: %~2\scardssp.dll registered
exit /b 0
