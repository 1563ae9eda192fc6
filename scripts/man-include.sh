#!/bin/sh
# Writes a help2man include file for kaisim's man page: each command's own --help, so the page
# documents every option of every command (CMake runs it when help2man is installed).
# Usage: man-include.sh KAISIM_BINARY > kaisim.h2m
set -eu
exe=$1
echo "[COMMANDS]"
for c in $("$exe" --help | sed -n '/^Subcommands:/,$p' | awk 'NR > 1 && NF { print $1 }'); do
  echo ".SS $c"
  echo ".nf"
  "$exe" "$c" --help | sed -e "s|$exe|kaisim|g" -e 's/\\/\\e/g' -e 's/^\./\\\&./' -e "s/^'/\\\\\\&'/"
  echo ".fi"
done
echo "[FILES]"
echo "PREFIX/share/kaisim/reports: chart specifications and libraries of kaisim report."
echo "PREFIX/share/kaisim/schema: JSON Schemas of scenario, overlay, sweep and calibration files."
echo "[SEE ALSO]"
echo "The README of the kaisim sources: the model, the scenario format and worked examples."
