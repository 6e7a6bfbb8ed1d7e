-- Argo CD health check for liveupdate.dev/LiveUpdate (docs/gitops.md).
-- Install as argocd-cm key resource.customizations.health.liveupdate.dev_LiveUpdate.
-- Healthy: Succeeded (every selected node reached the plan's target phase) or Cancelled (what git asked for).
-- Progressing: Pending, Progressing, or a spec the operator has not seen yet.
-- Suspended: Paused.   Degraded: Halted or Failed (a person must act; status.failedNodes says where).
local hs = { status = "Progressing", message = "waiting for the liveupdate operator" }
if obj.status == nil or obj.status.phase == nil then
  return hs
end
local generation = obj.metadata.generation
local observed = obj.status.observedGeneration
if generation ~= nil and observed ~= nil and observed < generation then
  hs.message = "the operator has not seen generation " .. generation .. " yet (observed " .. observed .. ")"
  return hs
end
local phase = obj.status.phase
local message = obj.status.message or phase
if phase == "Succeeded" or phase == "Cancelled" then
  hs.status = "Healthy"
elseif phase == "Paused" then
  hs.status = "Suspended"
elseif phase == "Halted" or phase == "Failed" then
  hs.status = "Degraded"
else
  hs.status = "Progressing"
end
hs.message = phase .. ": " .. message
return hs
