// check-layers must reject this: yaml-cpp is for the folders that parse YAML, not output.
#include <yaml-cpp/yaml.h>
