describe("router.pages.not_ready", function()
  local pages = require("router.pages")

  it("says what an app without a route is doing, by its phase", function()
    local deploying = pages.not_ready("deploy-x.review.test", "deploy-x", "Deploying")
    assert.matches("is deploying (phase: <code>Deploying</code>)", deploying, 1, true)
    assert.matches("deploy-x.review.test", deploying, 1, true)
    assert.matches("runs no web process (phase: <code>Ready</code>, web count 0)",
      pages.not_ready("deploy-x.review.test", "deploy-x", "Ready"), 1, true)
    assert.matches("<code>reviewctl describe deploy-x</code> says why",
      pages.not_ready("deploy-x.review.test", "deploy-x", "Failed"), 1, true)
    assert.matches("is being deleted",
      pages.not_ready("deploy-x.review.test", "deploy-x", "Deleting"), 1, true)
  end)

  it("escapes the host, the app and the phase, also where the phase's text names the app", function()
    for _, phase in ipairs({ "Ready", "Failed", "<script>%s" }) do
      local html = pages.not_ready("<x>", "a<b>%s", phase)
      assert.is_nil(html:find("<script>", 1, true))
      assert.is_nil(html:find("<x>", 1, true))
      assert.is_nil(html:find("<b>", 1, true))
    end
  end)
end)
