# bash completion for kaisim (installed as share/bash-completion/completions/kaisim).
# Commands and options are read from the installed binary's own --help, so they cannot drift
# from what it accepts.
_kaisim() {
    local cur prev
    cur="${COMP_WORDS[COMP_CWORD]}"
    prev="${COMP_WORDS[COMP_CWORD-1]}"
    local kaisim="${COMP_WORDS[0]}"
    if [ "$COMP_CWORD" -eq 1 ]; then
        local cmds
        cmds=$("$kaisim" --help 2>/dev/null | sed -n '/^Subcommands:/,$p' | awk 'NR > 1 && NF { print $1 }')
        COMPREPLY=($(compgen -W "$cmds --help --version" -- "$cur"))
        return
    fi
    local cmd="${COMP_WORDS[1]}"
    case "$prev" in
        --out) COMPREPLY=($(compgen -d -- "$cur")); return ;;
        --threads|--replicates|--seed|--set) return ;;
    esac
    if [[ "$cur" == -* ]]; then
        local opts
        opts=$("$kaisim" "$cmd" --help 2>/dev/null | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u)
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
        return
    fi
    # Scenario, overlay, sweep and calibration files, and output folders.
    COMPREPLY=($(compgen -f -X '!*.@(yaml|yml)' -- "$cur") $(compgen -d -- "$cur"))
}
complete -o filenames -F _kaisim kaisim
