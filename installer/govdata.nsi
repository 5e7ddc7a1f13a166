; 政务大数据项目管理 — Windows installer for one user (no administrator rights needed).
;
; Build (on Windows after PyInstaller, or on Debian with the `nsis` package around any payload):
;   makensis /DVERSION=0.1.0 /DPAYLOAD=..\out\dist\govdata /DOUTFILE=..\out\govdata-0.1.0-setup.exe installer\govdata.nsi
; VERSION comes from app/__init__.py (installer/build_nsis.sh passes it). Relative paths are relative to
; this file's folder (makensis changes into it).
;
; Where things go:
;   program   %LOCALAPPDATA%\Programs\govdata      (replaced whole on upgrade, removed on uninstall)
;   user data %LOCALAPPDATA%\govdata               (database, backups, logs: never touched here)
;   shortcuts start menu and desktop, named 政务大数据项目管理
;   uninstall HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\govdata ("应用和功能" lists it)

Unicode true
ManifestDPIAware true
RequestExecutionLevel user
SetCompressor /SOLID lzma

!ifndef VERSION
  !error "VERSION 未定义：请用 /DVERSION=x.y.z（版本号取自 app/__init__.py）"
!endif
!ifndef VIVERSION
  !define VIVERSION "${VERSION}.0"
!endif
!ifndef PAYLOAD
  !define PAYLOAD "..\out\dist\govdata"
!endif
!ifndef OUTFILE
  !define OUTFILE "..\out\govdata-${VERSION}-setup.exe"
!endif
!ifndef PUBLISHER
  !define PUBLISHER "政务大数据项目管理"
!endif

!define APPNAME "政务大数据项目管理"
!define APPID "govdata"
!define EXE "govdata.exe"
!define ICON "..\resources\icons\govdata.ico"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APPID}"
!define DATA_DIR "$LOCALAPPDATA\${APPID}"

Name "${APPNAME}"
Caption "${APPNAME} ${VERSION} 安装"
UninstallCaption "${APPNAME} 卸载"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\${APPID}"
InstallDirRegKey HKCU "${UNINST_KEY}" "InstallLocation"
BrandingText "${APPNAME} ${VERSION}"
ShowInstDetails show
ShowUninstDetails show

!include "MUI2.nsh"
!include "FileFunc.nsh"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_WELCOMEPAGE_TITLE "欢迎安装 ${APPNAME} ${VERSION}"
!define MUI_WELCOMEPAGE_TEXT "本程序将安装到当前用户的目录，不需要管理员权限，也不需要联网。$\r$\n$\r$\n如已安装旧版本，将直接升级；原有的数据库和备份（${DATA_DIR}）保持不变。$\r$\n$\r$\n请先关闭正在运行的${APPNAME}，然后单击“下一步”。"
!define MUI_FINISHPAGE_RUN "$INSTDIR\${EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "立即运行${APPNAME}"
!define MUI_UNCONFIRMPAGE_TEXT_TOP "将删除${APPNAME}的程序文件和快捷方式。$\r$\n您的数据库和备份保存在 ${DATA_DIR}，卸载不会删除它们；重新安装后数据仍在。"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "SimpChinese"

VIProductVersion "${VIVERSION}"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "ProductName" "${APPNAME}"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "FileDescription" "${APPNAME} 安装程序"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "LegalCopyright" "${PUBLISHER}"

Function .onVerifyInstDir
  ; The program folder is replaced on upgrade and removed on uninstall: it must never be the data folder.
  StrCmp "$INSTDIR" "${DATA_DIR}" 0 +2
    Abort
FunctionEnd

Section "主程序" SecMain
  SectionIn RO
  SetShellVarContext current

  ; Upgrade: remove the previous program files (never the data folder, which lies outside $INSTDIR).
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${EXE}"

  SetOutPath "$INSTDIR"
  File /r "${PAYLOAD}\*.*"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortcut "$SMPROGRAMS\${APPNAME}.lnk" "$INSTDIR\${EXE}" "" "$INSTDIR\${EXE}" 0
  CreateShortcut "$DESKTOP\${APPNAME}.lnk" "$INSTDIR\${EXE}" "" "$INSTDIR\${EXE}" 0

  WriteRegStr HKCU "${UNINST_KEY}" "DisplayName" "${APPNAME}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINST_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\${EXE},0"
  WriteRegStr HKCU "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINST_KEY}" "UninstallString" "$\"$INSTDIR\uninstall.exe$\""
  WriteRegStr HKCU "${UNINST_KEY}" "QuietUninstallString" "$\"$INSTDIR\uninstall.exe$\" /S"
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKCU "${UNINST_KEY}" "EstimatedSize" "$0"
SectionEnd

Section "Uninstall"
  SetShellVarContext current
  Delete "$SMPROGRAMS\${APPNAME}.lnk"
  Delete "$DESKTOP\${APPNAME}.lnk"
  ; Only the files this installer put there; the folder goes only if nothing else is left in it.
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${EXE}"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKCU "${UNINST_KEY}"
  ; ${DATA_DIR} (database, backups, logs) is kept on purpose.
SectionEnd
