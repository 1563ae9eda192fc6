// Allowed: a study file reader parses YAML with the scenario folder's private reader.
#include <yaml-cpp/yaml.h>

#include "../scenario/yaml_reader.hpp"
#include "kaisim/scenario/scenario_loader.hpp"
