-- wrk script: every request carries the bench person's session and CSRF cookies.
-- Arguments (after `--`): session key, CSRF token, then, to submit check-ins instead of
-- GETting the URL, the encounter codes to post them to.
--
-- Check-ins go to the encounters in turn: a person checks in on many encounters, and piling
-- every submit onto one encounter would measure an encounter no one has.

local codes = {}
local sent = 0
local body = "pleasantness=5&energy=4&feelings=calm&fun=nice"

function init(args)
  local session, csrf = args[1], args[2]
  wrk.headers["Cookie"] = "sessionid=" .. session .. "; csrftoken=" .. csrf
  for i = 3, #args do
    codes[#codes + 1] = args[i]
  end
  if #codes > 0 then
    wrk.method = "POST"
    wrk.body = body
    wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
    wrk.headers["X-CSRFToken"] = csrf
  end
end

function request()
  if #codes == 0 then
    return wrk.format()
  end
  sent = sent + 1
  return wrk.format(nil, "/encounters/" .. codes[sent % #codes + 1] .. "/checkin/")
end
