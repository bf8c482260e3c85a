// The registration of the built-in platforms: the one list to extend when
// adding a platform (platform.h, "How to add a platform").
#include <memory>
#include <vector>

#include "service/core/collectors/platform.h"

namespace opinia::core::collectors {

// Each defined in its own platforms/<name>.cc.
std::unique_ptr<Platform> NewGoogleBusinessProfilePlatform();
std::unique_ptr<Platform> NewTrustpilotPlatform();
std::unique_ptr<Platform> NewJsonFeedPlatform();
std::unique_ptr<Platform> NewCsvFeedPlatform();
std::unique_ptr<Platform> NewGooglePlayPlatform();
std::unique_ptr<Platform> NewAppStoreConnectPlatform();
std::unique_ptr<Platform> NewAllegroPlatform();

std::vector<std::unique_ptr<Platform>> BuiltinPlatforms() {
  std::vector<std::unique_ptr<Platform>> all;
  all.push_back(NewGoogleBusinessProfilePlatform());
  all.push_back(NewTrustpilotPlatform());
  all.push_back(NewJsonFeedPlatform());
  all.push_back(NewCsvFeedPlatform());
  all.push_back(NewGooglePlayPlatform());
  all.push_back(NewAppStoreConnectPlatform());
  all.push_back(NewAllegroPlatform());
  return all;
}

}  // namespace opinia::core::collectors
