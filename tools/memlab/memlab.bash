# SPDX-License-Identifier: GPL-2.0-only
# bash completion for memlab(1): subcommands, their options, process ids
# and names, and for ADDR the regions of the process's /proc/PID/maps.

_memlab_regions()
{
	local pid=$1
	[[ $pid =~ ^[0-9]+$ ]] || pid=$(pgrep -x -- "$pid" 2>/dev/null | head -n 1)
	[[ -r /proc/$pid/maps ]] || return
	awk '$6 != "" { n = $6; sub(".*/", "", n); if (substr($6, 1, 1) == "[") n = $6; print n }' \
		"/proc/$pid/maps" 2>/dev/null | sort -u
}

_memlab()
{
	local cur prev words cword
	_init_completion || return

	local cmds="read write walk maps maptest"
	if [[ $cword -eq 1 ]]; then
		COMPREPLY=($(compgen -W "$cmds --help --version" -- "$cur"))
		return
	fi
	local cmd=${words[1]} opts
	case $cmd in
	read) opts="--raw --json --help" ;;
	write) opts="--string --file --help" ;;
	walk) opts="--json --svg --color --help" ;;
	maps) opts="--json --help" ;;
	maptest) opts="--text --help" ;;
	*) return ;;
	esac
	case $prev in
	--file | --svg)
		_filedir
		return
		;;
	--color)
		COMPREPLY=($(compgen -W "auto always never" -- "$cur"))
		return
		;;
	--string)
		return
		;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
		return
	fi
	# The positional arguments: PID first, then ADDR.
	local i n=0 pid=
	for ((i = 2; i < cword; i++)); do
		case ${words[i]} in
		--file | --svg | --string | --color) ((i++)) ;;
		-*) ;;
		*)
			((n++))
			[[ $n -eq 1 ]] && pid=${words[i]}
			;;
		esac
	done
	[[ $cmd == maptest ]] && return
	if [[ $n -eq 0 ]]; then
		_pids
		COMPREPLY+=($(compgen -W "$(ps -e -o comm= 2>/dev/null | sort -u)" -- "$cur"))
	elif [[ $n -eq 1 && $cmd != maps ]]; then
		COMPREPLY=($(compgen -W "$(_memlab_regions "$pid")" -- "$cur"))
	fi
} &&
	complete -F _memlab memlab
