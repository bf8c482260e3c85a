#!/usr/bin/python3
"""Which service/core/ folders include which: prints the matrix (number of
#include lines from the row folder into the column folder) and fails when an
include points up the layer order (OPINIA_CORE_LAYERS in cmake/opinia.cmake:
a folder may use only folders listed before it), which also rules out
cycles.

  scripts/core_layers.py [SOURCE_DIR]
"""
import os
import re
import sys

INCLUDE = re.compile(r'#include "service/core/([a-z_]+)/')
LAYERS_SET = re.compile(r'set\(OPINIA_CORE_LAYERS\s([^)]*)\)')


def read_layers(source):
    with open(os.path.join(source, 'cmake', 'opinia.cmake')) as f:
        m = LAYERS_SET.search(f.read())
    if m is None:
        sys.exit('error: no set(OPINIA_CORE_LAYERS ...) in cmake/opinia.cmake')
    return m.group(1).split()


def main():
    source = sys.argv[1] if len(sys.argv) > 1 else '.'
    layers = read_layers(source)
    core = os.path.join(source, 'service', 'core')
    uses = {f: {} for f in layers}
    loose = [n for n in os.listdir(core) if n.endswith(('.h', '.cc'))]
    for folder in layers:
        for dirpath, _, names in os.walk(os.path.join(core, folder)):
            for name in names:
                if not name.endswith(('.h', '.cc')):
                    continue
                with open(os.path.join(dirpath, name)) as f:
                    for m in INCLUDE.finditer(f.read()):
                        if m.group(1) != folder:
                            uses[folder][m.group(1)] = (
                                uses[folder].get(m.group(1), 0) + 1)
    w = 11
    print('includes ->'.ljust(w) + ''.join(g[:w - 1].ljust(w) for g in layers))
    for f in layers:
        print(f.ljust(w) + ''.join(
            ('-' if g == f else str(uses[f].get(g, ''))).ljust(w)
            for g in layers))
    up = [(f, g) for f in layers for g in uses[f]
          if g not in layers or layers.index(g) > layers.index(f)]
    for f, g in up:
        print(f'error: {f}/ includes {g}/, which is not below it')
    for n in loose:
        print(f'error: service/core/{n} belongs in a folder')
    return 1 if up or loose else 0


if __name__ == '__main__':
    sys.exit(main())
