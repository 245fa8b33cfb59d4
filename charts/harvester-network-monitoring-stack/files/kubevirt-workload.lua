-- DeepFlow server plugin: tag KubeVirt virt-launcher pods with their VM.
--
-- DeepFlow groups pods by their owning workload and skips pods whose owner kind it does not know; a
-- virt-launcher pod is owned by a VirtualMachineInstance, so its traffic would carry no workload tags.
-- DeepFlow calls GetWorkloadTypeAndName(metaJsonStr) with the pod's metadata as JSON for such pods and uses
-- the returned (type, name) as the pod's workload. Returning "", "" leaves a pod untouched.
package.path = package.path .. ";/bin/?.lua"
local dkjson = require("dkjson")

local WORKLOAD_TYPE = "__WORKLOAD_TYPE__"

local function is_virt_launcher(meta)
  local labels = meta["labels"]
  if type(labels) == "table" and labels["kubevirt.io"] == "virt-launcher" then
    return true
  end
  local owners = meta["ownerReferences"]
  if type(owners) ~= "table" then
    return false
  end
  for _, owner in ipairs(owners) do
    if type(owner) == "table" and owner["kind"] == "VirtualMachineInstance" then
      return true
    end
  end
  return false
end

local function vm_name(meta)
  local labels = meta["labels"]
  if type(labels) == "table" and type(labels["vm.kubevirt.io/name"]) == "string" then
    return labels["vm.kubevirt.io/name"]
  end
  -- A VMI is named after its VM, so the owner's name is the VM's name when the label is missing.
  local owners = meta["ownerReferences"]
  if type(owners) == "table" then
    for _, owner in ipairs(owners) do
      if type(owner) == "table" and owner["kind"] == "VirtualMachineInstance" and type(owner["name"]) == "string" then
        return owner["name"]
      end
    end
  end
  return ""
end

function GetWorkloadTypeAndName(metaJsonStr)
  local ok, meta = pcall(dkjson.decode, metaJsonStr, 1, nil)
  if not ok or type(meta) ~= "table" or not is_virt_launcher(meta) then
    return "", ""
  end
  local name = vm_name(meta)
  if name == "" then
    return "", ""
  end
  return WORKLOAD_TYPE, name
end
